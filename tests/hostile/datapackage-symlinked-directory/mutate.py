def mutate(release, helpers):
    outside = release.parent / "outside"
    outside.mkdir()
    (outside / "events.parquet").write_bytes(b"HOSTILE-OUTSIDE-MARKER")
    (release / "more").symlink_to(outside, target_is_directory=True)
    helpers.set_resource(release, "events-parquet", path="more/events.parquet")
