"""The measures as rules: dated, cited parameters and one pure module per measure (no Qt)."""
