def mutate(release, helpers):
    (release / "loop.parquet").symlink_to(release / "loop.parquet")
    helpers.set_resource(release, "events-parquet", path="loop.parquet")
