def mutate(release, helpers):
    helpers.edit_descriptor(release, lambda d: d.update(bytes_total="__BIG__"), raw=lambda t: t.replace('"__BIG__"', "9" * 5000))
