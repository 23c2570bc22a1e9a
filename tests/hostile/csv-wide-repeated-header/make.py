def make(tmp_path, release):
    path = tmp_path / "places.csv"
    path.write_bytes(b"id," * 300_000 + b"\r\n")
    return path
