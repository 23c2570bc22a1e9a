def mutate(release, helpers):
    outside = release.parent / "outside-sums"
    outside.write_text("HOSTILE-OUTSIDE-MARKER  events.parquet\n", encoding="utf-8")
    (release / "SHA256SUMS").unlink()
    (release / "SHA256SUMS").symlink_to(outside)
