"""Failing tests whose tracebacks pin the fingerprint normalisation (see ../README.md)."""
import json
import tempfile
import uuid


class Client:
    def get(self, path):
        raise ConnectionError(f"GET {path} failed: request {uuid.uuid4()} timed out after 30.5s at 0x{id(self):x}")


def test_assert_dict():
    got = {"status": 500, "id": str(uuid.uuid4())}
    assert got["status"] == 200


def test_connection():
    Client().get("/api/run/42")


def test_tempfile():
    with tempfile.TemporaryDirectory() as d:
        open(d + "/missing/conf.json").read()


def test_json():
    json.loads("{bad json")
