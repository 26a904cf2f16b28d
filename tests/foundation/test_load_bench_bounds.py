"""bench/load.py sends traffic to this machine only and writes only to its own database."""

import importlib.util
import sys
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[2] / "bench" / "load.py"
spec = importlib.util.spec_from_file_location("bench_load", PATH)
load = importlib.util.module_from_spec(spec)
sys.modules.setdefault("bench_load", load)  # its dataclasses look their module up
spec.loader.exec_module(load)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_the_load_script_accepts_loopback_hosts(host):
    assert load.loopback(host)


@pytest.mark.parametrize(
    "host", ["10.0.0.5", "192.168.1.10", "172.16.0.1", "8.8.8.8", "example.com", "0.0.0.0", ""]
)
def test_the_load_script_refuses_any_other_host(host):
    assert not load.loopback(host)


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///db.sqlite3",
        "postgres://postgres@10.1.2.3:5432/load_bench",
        "postgres://postgres@db.example.com/load_bench",
        "postgres://postgres@127.0.0.1:5432/Load-Bench",
    ],
)
def test_the_load_script_refuses_a_database_that_is_not_local_postgresql(url, capsys):
    with pytest.raises(SystemExit) as stopped:
        load.database_parts(url)
    assert stopped.value.code == 2
    assert "load.py:" in capsys.readouterr().err


def test_the_load_script_reads_a_local_postgresql_url():
    parts = load.database_parts("postgres://postgres@127.0.0.1:5432/load_bench")
    assert parts == {
        "host": "127.0.0.1",
        "port": 5432,
        "user": "postgres",
        "password": "",
        "name": "load_bench",
    }


def test_the_load_script_caps_requests_and_duration():
    budget = load.Budget(max_requests=3, max_seconds=60)
    budget.start()
    assert [budget.take() for _ in range(5)] == [True, True, True, False, False]
    assert budget.exhausted == "--max-requests"
    late = load.Budget(max_requests=100, max_seconds=0)
    late.start()
    assert not late.take() and late.exhausted.startswith("--max-seconds")
