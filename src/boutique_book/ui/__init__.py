"""The Qt face: a thin layer over core. No SQL here; widgets call core services, lists use item models."""
