#!/usr/bin/env python3
"""Builds real wheels for tests from a JSON description (no build backend, no network).

    make-wheel.py SPEC.json OUTDIR

SPEC: [{"name", "version", "tag" ("py3-none-any"), "purelib" (true), "files": {PATH: TEXT},
"data": {"scripts/NAME": TEXT, "data/share/...": TEXT}, "entry_points": {"console_scripts": {NAME: "mod:func"}},
"requires_dist": [STR], "requires_python": STR, "big": {PATH: SIZE}}]

Each wheel gets NAME-VERSION.dist-info/{METADATA, WHEEL, entry_points.txt, RECORD} with sha256
rows (urlsafe base64, no padding), as `pip wheel` would produce. Prints {filename: sha256}.
"""
import base64, hashlib, json, os, random, sys, zipfile


def record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build(spec, out):
    name, version = spec["name"], spec["version"]
    dist = name.replace("-", "_")
    tag = spec.get("tag", "py3-none-any")
    info = f"{dist}-{version}.dist-info"
    data_dir = f"{dist}-{version}.data"
    files = {path: text.encode() for path, text in spec.get("files", {}).items()}
    for path, size in spec.get("big", {}).items():
        generator = random.Random(size)
        files[path] = bytes(generator.getrandbits(8) for _ in range(min(size, 1 << 16))) * (size // (1 << 16) + 1)
        files[path] = files[path][:size]
    for path, text in spec.get("data", {}).items():
        files[f"{data_dir}/{path}"] = text.encode()
    metadata = [f"Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    if spec.get("requires_python"):
        metadata.append(f"Requires-Python: {spec['requires_python']}")
    for requirement in spec.get("requires_dist", []):
        metadata.append(f"Requires-Dist: {requirement}")
    for extra in spec.get("extras", []):
        metadata.append(f"Provides-Extra: {extra}")
    files[f"{info}/METADATA"] = ("\n".join(metadata) + "\n\n").encode()
    purelib = "true" if spec.get("purelib", True) else "false"
    files[f"{info}/WHEEL"] = f"Wheel-Version: 1.0\nGenerator: smimg-tests\nRoot-Is-Purelib: {purelib}\nTag: {tag}\n".encode()
    entry_points = spec.get("entry_points", {})
    if entry_points:
        text = ""
        for section, scripts in entry_points.items():
            text += f"[{section}]\n" + "".join(f"{k} = {v}\n" for k, v in scripts.items()) + "\n"
        files[f"{info}/entry_points.txt"] = text.encode()
    rows = [f"{path},{record_hash(data)},{len(data)}" for path, data in sorted(files.items())]
    rows.append(f"{info}/RECORD,,")
    filename = f"{dist}-{version}-{tag}.whl"
    path = os.path.join(out, filename)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in sorted(files.items()):
            entry = zipfile.ZipInfo(member, date_time=(2020, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            mode = 0o755 if "/scripts/" in member or member.endswith(".so") else 0o644
            entry.external_attr = (0o100000 | mode) << 16
            archive.writestr(entry, data)
        archive.writestr(zipfile.ZipInfo(f"{info}/RECORD", date_time=(2020, 1, 1, 0, 0, 0)), "\n".join(rows) + "\n")
    return filename, hashlib.sha256(open(path, "rb").read()).hexdigest()


def main():
    specs = json.load(open(sys.argv[1]))
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    result = dict(build(spec, out) for spec in specs)
    json.dump(result, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main()
