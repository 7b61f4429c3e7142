"""The common-ground commands as a person runs them: a real process, human words, one-line refusals."""

import os
import subprocess
import sys

import pytest

PASS = "correct horse battery"


def run(vault, *args, env_extra=None):
    env = {**os.environ, "BOUTIQUE_BOOK_PASSPHRASE": PASS, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "boutique_book", *args, "--vault", str(vault)], capture_output=True,
                          text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("cg") / "cg.vault"
    assert run(path, "init").returncode == 0
    done = run(path, "demo", "--contacts", "150", "--seed", "5")
    assert done.returncode == 0, done.stderr
    added = run(path, "add-contact", "--given", "Ondine", "--family", "Marsac")
    return path, int(added.stdout.strip())


def test_staff_sets_their_own_interests_and_sees_common_ground(book):
    path, person = book
    done = run(path, "staff", "interests", "Camille Laurent", "--set", "storm chasing,voile,Oper",
               "--languages", "fr,ja")
    assert done.returncode == 0, done.stderr
    assert "Interests: opera, sailing, storm chasing" in done.stdout
    assert "Languages: French, Japanese" in done.stdout
    added = run(path, "contact", "interests", str(person), "--add", "sailing,Gewitterjagd,opéra")
    assert added.returncode == 0, added.stderr
    shown = run(path, "common-ground", str(person), "--staff", "Camille Laurent")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "Camille Laurent shares, most specific first:"
    shared = [line.strip().split(" — ") for line in lines[1:4]]
    assert {label for label, _ in shared} == {"storm chasing", "sailing", "opera"}
    holders = [int(count.split()[0]) for _, count in shared]
    assert holders == sorted(holders) and holders[0] >= 1  # the rarest comes first
    assert lines[1].endswith("person in the book" if holders[0] == 1 else "people in the book")
    assert "Traceback" not in shown.stderr


def test_someone_else_cannot_change_a_staff_profile_without_the_manager(book):
    path, _ = book
    refused = run(path, "staff", "interests", "Camille Laurent", "--set", "golf", "--staff", "Matteo Ricci")
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    unknown = run(path, "contact", "interests", "1", "--add", "weather")
    assert unknown.returncode == 1
    assert "Not in the shared vocabulary: weather" in unknown.stderr


def test_demo_staff_come_with_a_profile(book):
    path, _ = book
    shown = run(path, "staff", "interests", "Matteo Ricci")
    assert "choir singing" in shown.stdout and "Italian" in shown.stdout
