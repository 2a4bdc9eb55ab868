from tests.assistance.conftest import donor_user, poc_bra, poc_jam, secretariat  # noqa: F401
