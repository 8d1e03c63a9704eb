"""Where the keys live: the key ring, encrypted fields, blind indexes, rotation and masking."""
