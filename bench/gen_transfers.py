#!/usr/bin/env python3
"""Synthetic Tronscan TRC-20 transfer exports for the money benchmark.

    python3 bench/gen_transfers.py ROWS OUT.csv [--seed N]

Every address is synthetic (TRON base58check of a payload derived from a
counter, valid checksum, nobody's), every transaction id random hex. The
population: 200,000 ordinary wallets paying each other at random over 90
days, and one dropper per 50,000 rows that collects a "fee" of the same
amount from 8-20 senders within a few hours and forwards most of it within
two hours (fan-in and pass-through to find), plus senders that keep
payments just under 1,000 USDT (structuring). Columns and formats are
Tronscan's export: Transaction ID, Block, Time(UTC), From, To,
Amount/TokenID, Token, Result.
"""
import hashlib
import random
import sys

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
USDT = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
START = 1_767_225_600  # 2026-01-01T00:00:00Z
SPAN = 90 * 86400


def b58check(data: bytes) -> str:
    data += hashlib.sha256(hashlib.sha256(data).digest()).digest()[:4]
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(ALPHABET[r])
    return "".join(reversed(out))


def tron(i: int) -> str:
    payload = hashlib.sha256(f"qorgau-bench-{i}".encode()).digest()[:20]
    return b58check(b"\x41" + payload)


def main() -> None:
    rows = int(sys.argv[1])
    out_path = sys.argv[2]
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 7
    rng = random.Random(seed)
    wallets = [tron(i) for i in range(200_000)]
    events = []
    droppers = max(1, rows // 50_000)
    planted = 0
    for d in range(droppers):
        dropper = tron(1_000_000 + d)
        cashout = tron(2_000_000 + d)
        t0 = START + rng.randrange(SPAN - 86400)
        fee = rng.choice(["25", "50", "75", "100"])
        n = rng.randrange(8, 21)
        for k in range(n):
            events.append((t0 + k * rng.randrange(300, 1200), rng.choice(wallets), dropper, fee))
        forward = int(fee) * n - int(fee)
        events.append((t0 + n * 1200 + 3600, dropper, cashout, str(forward)))
        planted += n + 1
    # Structuring: a sender keeping under the 1,000 USDT threshold.
    for s in range(droppers):
        sender = tron(3_000_000 + s)
        t0 = START + rng.randrange(SPAN - 7 * 86400)
        for k in range(4):
            events.append((t0 + k * 86400, sender, rng.choice(wallets), f"{rng.randrange(905, 999)}.{rng.randrange(100):02d}"))
        planted += 4
    for _ in range(rows - planted):
        a, b = rng.sample(wallets, 2)
        amount = f"{rng.randrange(1, 5000)}.{rng.randrange(1_000_000):06d}"
        events.append((START + rng.randrange(SPAN), a, b, amount))
    events.sort(key=lambda e: e[0])
    import datetime
    with open(out_path, "w", encoding="utf-8", newline="") as f:
        f.write("Transaction ID,Block,Time(UTC),From,To,Amount/TokenID,Token,Result\n")
        block = 70_000_000
        for t, a, b, amount in events:
            block += 1
            stamp = datetime.datetime.fromtimestamp(t, datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")
            f.write(f"{rng.getrandbits(256):064x},{block},{stamp},{a},{b},\"{amount}\",{USDT},SUCCESS\n")


if __name__ == "__main__":
    main()
