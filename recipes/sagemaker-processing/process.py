"""SageMaker Processing job: reads CSV files from the input channel, writes a summary."""

from pathlib import Path

import pandas as pd

INPUT = Path("/opt/ml/processing/input")
OUTPUT = Path("/opt/ml/processing/output")


def main() -> None:
    frames = [pd.read_csv(path) for path in sorted(INPUT.glob("*.csv"))]
    OUTPUT.mkdir(parents=True, exist_ok=True)
    if not frames:
        (OUTPUT / "summary.txt").write_text("no input files\n")
        return
    data = pd.concat(frames, ignore_index=True)
    data.describe().to_csv(OUTPUT / "summary.csv")


if __name__ == "__main__":
    main()
