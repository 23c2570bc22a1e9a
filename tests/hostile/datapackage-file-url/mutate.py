def mutate(release, helpers):
    helpers.set_resource(release, "events-parquet", path='file:///etc/passwd')
