#!/usr/bin/env python3
"""Makes real conda packages and a channel directory from a JSON description, for tests.

    conda-channel.py SPEC.json

SPEC: {"channel": DIR, "packages": [{"name", "version", "build", "build_number", "depends",
"noarch" (null or "python"), "subdir" ("linux-64"/"noarch"), "format" ("conda"/"tar.bz2"),
"files": {PATH: {"text": STR | "hex": STR, "placeholder": null|"text"|"binary", "mode": INT}},
"symlinks": {PATH: TARGET}, "entry_points": [STR]}]}

Writes DIR/<subdir>/<fn>, DIR/<subdir>/repodata.json (packages and packages.conda), an empty
repodata for the other subdir, DIR/channeldata.json, and prints {fn: {path, md5, sha256, size}}.
Packages follow conda-build's layout: info/index.json, info/paths.json (sha256, size,
prefix_placeholder, file_mode), info/link.json for noarch python, the payload. `.conda` files
are a stored zip of metadata.json, info-*.tar.zst and pkg-*.tar.zst (zstd CLI).
"""
import hashlib, io, json, os, subprocess, sys, tarfile, tempfile, zipfile

PLACEHOLDER = "/opt/anaconda1anaconda2anaconda3"


def tar_bytes(members, compression=""):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w" + (":" + compression if compression else ""), format=tarfile.PAX_FORMAT) as tar:
        for name, data, mode, link in sorted(members, key=lambda m: m[0]):
            info = tarfile.TarInfo(name)
            info.mtime = 0
            if link is not None:
                info.type = tarfile.SYMTYPE
                info.linkname = link
                tar.addfile(info)
            else:
                info.size = len(data)
                info.mode = mode
                tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def zstd(data):
    return subprocess.run(["zstd", "-q", "-c", "-3"], input=data, stdout=subprocess.PIPE, check=True).stdout


def build(package, out_dir):
    name, version, build_string = package["name"], package["version"], package["build"]
    subdir = package.get("subdir", "linux-64")
    index = {
        "name": name, "version": version, "build": build_string, "build_number": package.get("build_number", 0),
        "depends": package.get("depends", []), "subdir": subdir, "license": "MIT", "timestamp": 1700000000000,
    }
    if package.get("constrains"):
        index["constrains"] = package["constrains"]
    if package.get("noarch"):
        index["noarch"] = package["noarch"]
    payload, paths = [], []
    for path, spec in sorted(package.get("files", {}).items()):
        data = bytes.fromhex(spec["hex"]) if "hex" in spec else spec.get("text", "").encode()
        if "size" in spec:  # a large file of repeated bytes
            data = (data or b"x") * (spec["size"] // max(1, len(data or b"x")))
        payload.append((path, data, spec.get("mode", 0o644), None))
        entry = {"_path": path, "path_type": "hardlink", "sha256": hashlib.sha256(data).hexdigest(), "size_in_bytes": len(data)}
        if spec.get("placeholder"):
            entry["prefix_placeholder"] = PLACEHOLDER
            entry["file_mode"] = spec["placeholder"]
        paths.append(entry)
    for path, target in sorted(package.get("symlinks", {}).items()):
        payload.append((path, b"", 0o777, target))
        paths.append({"_path": path, "path_type": "softlink", "sha256": hashlib.sha256(target.encode()).hexdigest(), "size_in_bytes": len(target)})
    for script, text in package.get("scripts", {}).items():
        payload.append((f"bin/.{name}-{script}.sh", text.encode(), 0o755, None))
        paths.append({"_path": f"bin/.{name}-{script}.sh", "path_type": "hardlink", "sha256": "0" * 64, "size_in_bytes": len(text)})
    info = [("info/index.json", json.dumps(index, indent=2).encode(), 0o644, None),
            ("info/paths.json", json.dumps({"paths": paths, "paths_version": 1}, indent=2).encode(), 0o644, None)]
    if package.get("noarch") == "python":
        link = {"noarch": {"type": "python", "entry_points": package.get("entry_points", [])}, "package_metadata_version": 1}
        info.append(("info/link.json", json.dumps(link).encode(), 0o644, None))
    stem = f"{name}-{version}-{build_string}"
    directory = os.path.join(out_dir, subdir)
    os.makedirs(directory, exist_ok=True)
    if package.get("format", "conda") == "conda":
        fn = stem + ".conda"
        with zipfile.ZipFile(os.path.join(directory, fn), "w", zipfile.ZIP_STORED) as archive:
            archive.writestr("metadata.json", json.dumps({"conda_pkg_format_version": 2}))
            archive.writestr(f"pkg-{stem}.tar.zst", zstd(tar_bytes(payload)))
            archive.writestr(f"info-{stem}.tar.zst", zstd(tar_bytes(info)))
    else:
        fn = stem + ".tar.bz2"
        with open(os.path.join(directory, fn), "wb") as handle:
            handle.write(tar_bytes(info + payload, "bz2"))
    data = open(os.path.join(directory, fn), "rb").read()
    index.update({"md5": hashlib.md5(data).hexdigest(), "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})
    return subdir, fn, index


def main():
    spec = json.load(open(sys.argv[1]))
    channel = spec["channel"]
    repodata = {subdir: {"info": {"subdir": subdir}, "packages": {}, "packages.conda": {}, "repodata_version": 1}
                for subdir in ("linux-64", "noarch")}
    result = {}
    for package in spec["packages"]:
        subdir, fn, record = build(package, channel)
        repodata.setdefault(subdir, {"info": {"subdir": subdir}, "packages": {}, "packages.conda": {}})
        repodata[subdir]["packages.conda" if fn.endswith(".conda") else "packages"][fn] = record
        result[fn] = {"path": os.path.join(channel, subdir, fn), "md5": record["md5"], "sha256": record["sha256"], "size": record["size"]}
    for subdir, document in repodata.items():
        os.makedirs(os.path.join(channel, subdir), exist_ok=True)
        with open(os.path.join(channel, subdir, "repodata.json"), "w") as handle:
            json.dump(document, handle, indent=1, sort_keys=True)
    names = sorted({p["name"] for p in spec["packages"]})
    with open(os.path.join(channel, "channeldata.json"), "w") as handle:
        json.dump({"channeldata_version": 1, "packages": {n: {} for n in names}, "subdirs": sorted(repodata)}, handle, indent=1)
    json.dump(result, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main()
