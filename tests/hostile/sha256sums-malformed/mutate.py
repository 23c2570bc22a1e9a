def mutate(release, helpers):
    sums = release / "SHA256SUMS"
    sums.write_text("not a checksum line\n0123  ../../etc/passwd\n" + sums.read_text(encoding="utf-8"), encoding="utf-8")
