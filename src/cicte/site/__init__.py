"""The site shell: base template, site-wide CSS, role-aware navigation (the top layer)."""
