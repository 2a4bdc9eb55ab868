"""Existing users keep their access: each user profile (one role and its scope) becomes
memberships — one per program for a program manager — with an audit record saying so."""

from django.db import migrations
from django.utils import timezone

REASON = "migrated from the user's role"


def forwards(apps, schema_editor):
    UserProfile = apps.get_model("accounts", "UserProfile")
    Membership = apps.get_model("access", "Membership")
    HistoricalMembership = apps.get_model("access", "HistoricalMembership")
    now = timezone.now()
    for profile in UserProfile.objects.all():
        rows = []
        if profile.role == "point_of_contact":
            if profile.member_state_id:
                rows.append({"member_state_id": profile.member_state_id})
        elif profile.role == "program_manager":
            rows.extend({"program_id": pk} for pk in profile.programs.values_list("pk", flat=True))
        elif profile.role == "donor":
            if profile.organization_id:
                rows.append({"organization_id": profile.organization_id})
        elif profile.role in ("administrator", "secretariat"):
            rows.append({})
        for scope in rows:
            membership = Membership.objects.create(user_id=profile.user_id, role=profile.role, **scope)
            HistoricalMembership.objects.create(
                id=membership.pk,
                user_id=membership.user_id,
                role=membership.role,
                member_state_id=membership.member_state_id,
                program_id=membership.program_id,
                organization_id=membership.organization_id,
                created_at=membership.created_at,
                history_date=now,
                history_type="+",
                history_change_reason=REASON,
            )


def backwards(apps, schema_editor):
    UserProfile = apps.get_model("accounts", "UserProfile")
    Membership = apps.get_model("access", "Membership")
    order = ["administrator", "secretariat", "program_manager", "point_of_contact", "donor"]
    by_user = {}
    for membership in Membership.objects.all():
        by_user.setdefault(membership.user_id, []).append(membership)
    for user_id, memberships in by_user.items():
        memberships.sort(key=lambda m: order.index(m.role) if m.role in order else len(order))
        main = memberships[0]
        profile = UserProfile.objects.create(
            user_id=user_id,
            role=main.role,
            member_state_id=main.member_state_id,
            organization_id=main.organization_id,
        )
        if main.role == "program_manager":
            profile.programs.set(
                [m.program_id for m in memberships if m.role == "program_manager"]
            )


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0001_memberships"),
        ("accounts", "0002_remove_historicaluser_password"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
