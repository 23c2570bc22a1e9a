def mutate(release, helpers):
    helpers.set_resource(release, "events-parquet", path='s3://example-bucket/events.parquet')
