def make(tmp_path, release):
    data = (release / "events.parquet").read_bytes()
    footer = int.from_bytes(data[-8:-4], "little") + 8
    path = tmp_path / "events.parquet"
    path.write_bytes(data[:-footer] + bytes(footer))
    return path
