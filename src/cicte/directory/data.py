"""Reference data: the 35 OAS member states. Pure Python (no Django).

Subregions follow the grouping the Secretariat's reports use (see docs/user-guide.md):
North America, Central America (SICA members incl. Belize and Panama), the Caribbean
(island states plus the Dominican Republic, Cuba and Haiti) and South America (incl.
Guyana and Suriname). ``small_island`` flags the island member states of the Caribbean
that the General Assembly's "Special Security Concerns of the Small Island States of the
Caribbean" resolutions address (CARICOM island members plus Haiti).
"""

from __future__ import annotations

from typing import Final, Literal

Subregion = Literal["north_america", "central_america", "caribbean", "south_america"]

SUBREGIONS: Final[tuple[Subregion, ...]] = (
    "north_america",
    "central_america",
    "caribbean",
    "south_america",
)

# alpha-3, alpha-2, subregion, small island state
MEMBER_STATES: Final[tuple[tuple[str, str, Subregion, bool], ...]] = (
    ("ATG", "AG", "caribbean", True),
    ("ARG", "AR", "south_america", False),
    ("BHS", "BS", "caribbean", True),
    ("BRB", "BB", "caribbean", True),
    ("BLZ", "BZ", "central_america", False),
    ("BOL", "BO", "south_america", False),
    ("BRA", "BR", "south_america", False),
    ("CAN", "CA", "north_america", False),
    ("CHL", "CL", "south_america", False),
    ("COL", "CO", "south_america", False),
    ("CRI", "CR", "central_america", False),
    ("CUB", "CU", "caribbean", False),
    ("DMA", "DM", "caribbean", True),
    ("DOM", "DO", "caribbean", False),
    ("ECU", "EC", "south_america", False),
    ("SLV", "SV", "central_america", False),
    ("GRD", "GD", "caribbean", True),
    ("GTM", "GT", "central_america", False),
    ("GUY", "GY", "south_america", False),
    ("HTI", "HT", "caribbean", True),
    ("HND", "HN", "central_america", False),
    ("JAM", "JM", "caribbean", True),
    ("MEX", "MX", "north_america", False),
    ("NIC", "NI", "central_america", False),
    ("PAN", "PA", "central_america", False),
    ("PRY", "PY", "south_america", False),
    ("PER", "PE", "south_america", False),
    ("KNA", "KN", "caribbean", True),
    ("LCA", "LC", "caribbean", True),
    ("VCT", "VC", "caribbean", True),
    ("SUR", "SR", "south_america", False),
    ("TTO", "TT", "caribbean", True),
    ("USA", "US", "north_america", False),
    ("URY", "UY", "south_america", False),
    ("VEN", "VE", "south_america", False),
)

# The OAS permanent observers (states, and the European Union), as the OAS lists them
# (https://www.oas.org/en/ser/dia/perm_observers/countries.asp). With the 35 member states
# they are the governments that fund most of the Work Plan: migration
# ``directory/0003_government_donors`` adds both as organizations of the group "government",
# so a donor account can follow a government (docs/funding.md).
PERMANENT_OBSERVERS: Final[tuple[str, ...]] = (
    "Albania", "Algeria", "Angola", "Armenia", "Austria", "Azerbaijan", "Belgium", "Benin",
    "Bosnia and Herzegovina", "Bulgaria", "China", "Croatia", "Cyprus", "Czech Republic",
    "Denmark", "Egypt", "Equatorial Guinea", "Estonia", "European Union", "Finland", "France",
    "Georgia", "Germany", "Ghana", "Greece", "Holy See", "Hungary", "Iceland", "India",
    "Indonesia", "Ireland", "Israel", "Italy", "Japan", "Kazakhstan", "Kuwait", "Latvia",
    "Lebanon", "Lithuania", "Luxembourg", "Malta", "Monaco", "Montenegro", "Morocco",
    "Netherlands", "Nigeria", "North Macedonia", "Norway", "Pakistan", "Philippines", "Poland",
    "Portugal", "Qatar", "Republic of Korea", "Romania", "Russian Federation", "Saudi Arabia",
    "Serbia", "Slovakia", "Slovenia", "Spain", "Sri Lanka", "Sweden", "Switzerland",
    "Thailand", "Tunisia", "Turkey", "Ukraine", "United Arab Emirates", "United Kingdom",
    "Vanuatu", "Yemen",
)  # fmt: skip
