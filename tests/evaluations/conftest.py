from tests.assistance.conftest import (  # noqa: F401
    donor_user,
    english_by_default,
    poc_bra,
    poc_jam,
    secretariat,
)
