def mutate(release, helpers):
    (release / "events.csv").write_bytes(b"junk,more junk\r\n1,2\r\n")
    helpers.rehash(release, "events.csv")
