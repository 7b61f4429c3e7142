"""Domain and storage. Plain Python over SQLCipher: no Qt import anywhere below this package."""
