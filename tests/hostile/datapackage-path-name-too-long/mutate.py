def mutate(release, helpers):
    helpers.set_resource(release, "events-parquet", path="a" * 300 + "/events.parquet")
