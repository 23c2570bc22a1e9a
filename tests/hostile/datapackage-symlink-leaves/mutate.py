def mutate(release, helpers):
    outside = release.parent / "outside.parquet"
    outside.write_bytes(b"HOSTILE-OUTSIDE-MARKER")
    (release / "events.parquet").unlink()
    (release / "events.parquet").symlink_to(outside)
