def mutate(release, helpers):
    helpers.set_resource(release, "events-parquet", path='https://example.invalid/events.parquet')
