def mutate(release, helpers):
    # A JSON escape for a lone surrogate: valid JSON, but no file name (and no UTF-8 output) can hold it.
    helpers.edit_descriptor(release, lambda d: None,
                            raw=lambda text: text.replace('"path": "events.csv"', '"path": "ev\\ud800.csv"'))
