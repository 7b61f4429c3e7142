"""HQ export: profiles, age-encrypted bundles, safe writes to removable media, and the HQ side (keygen, open).
No Qt here."""
