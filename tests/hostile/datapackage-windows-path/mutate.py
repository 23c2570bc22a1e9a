def mutate(release, helpers):
    helpers.set_resource(release, "events-parquet", path='C:\\\\Windows\\\\win.ini')
