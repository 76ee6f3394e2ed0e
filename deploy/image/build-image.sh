#!/usr/bin/env bash
# Builds the container image from Debian packages only (no registry): a minimal Debian 12 root file system by
# debootstrap with openjdk-17-jre-headless, then the image by buildah from scratch. Non-root (uid 10001), meant to run
# with a read-only root file system (the only writable paths are the declared volumes), no JDK, compiler or Maven.
#   deploy/image/build-image.sh [--rootfs DIR] [--out FILE.tar]
# Needs root (debootstrap, buildah mount). Installs debootstrap and buildah with apt when missing.
# Writes the image into buildah's local storage as veilig-praten:0.1.0 and as an OCI archive (--out), then inspects
# it and prints what it verified. Build the application first: mvn -B -q -DskipTests package (app/target/lib).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOTFS=""
OUT="app/target/veilig-praten-image.oci.tar"
INSPECT_ONLY=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --inspect-only) INSPECT_ONLY=1; shift ;;
    --rootfs) ROOTFS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ "$(id -u)" == "0" ]] || { echo "run as root (debootstrap and buildah mount need it)" >&2; exit 2; }
for pkg in debootstrap buildah; do
  command -v "$pkg" >/dev/null 2>&1 || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null; }
done
export STORAGE_DRIVER="${STORAGE_DRIVER:-vfs}"   # works inside containers and on any file system
WORK="$(mktemp -d "${TMPDIR:-/tmp}/vp-image.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
if [[ "$INSPECT_ONLY" == "0" ]]; then
[[ -f app/target/veilig-praten.jar && -d app/target/lib ]] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }
if [[ -z "$ROOTFS" ]]; then
  ROOTFS="$WORK/rootfs"
  echo "debootstrap: minimal Debian 12 with openjdk-17-jre-headless (a few minutes)"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates bookworm "$ROOTFS" \
    http://deb.debian.org/debian > "$WORK/debootstrap.log"
fi
# Trim what a running service never needs; apt and dpkg stay (they are not build tools) so the base can be patched.
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/usr/share/doc/* \
  "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/*
# The service user, without a login shell or home directory contents.
if ! grep -q '^vp:' "$ROOTFS/etc/passwd"; then
  echo 'vp:x:10001:10001:Veilig Praten:/var/lib/veilig-praten:/usr/sbin/nologin' >> "$ROOTFS/etc/passwd"
  echo 'vp:x:10001:' >> "$ROOTFS/etc/group"
  echo 'vp:!:19000::::::' >> "$ROOTFS/etc/shadow"
fi
ctr="$(buildah from scratch)"
mnt="$(buildah mount "$ctr")"
tar -C "$ROOTFS" -cf - . | tar -C "$mnt" -xf -
install -d -m 0755 "$mnt/opt/veilig-praten"
cp app/target/veilig-praten.jar "$mnt/opt/veilig-praten/"
cp -r app/target/lib "$mnt/opt/veilig-praten/lib"
chown -R 0:0 "$mnt/opt/veilig-praten" && chmod -R a+rX,go-w "$mnt/opt/veilig-praten"
install -d -m 0750 -o 10001 -g 10001 "$mnt/var/lib/veilig-praten" "$mnt/var/lib/veilig-praten/keys"
install -d -m 1777 "$mnt/tmp"
buildah umount "$ctr" >/dev/null
buildah config \
  --user 10001:10001 \
  --workingdir /var/lib/veilig-praten \
  --env VP_DATA_DIR=/var/lib/veilig-praten \
  --env VP_VISITOR_HOST=0.0.0.0 --env VP_CONSOLE_HOST=0.0.0.0 \
  --volume /var/lib/veilig-praten/keys --volume /tmp \
  --port 8080 --port 8081 --port 5701 --port 5801 \
  --label org.opencontainers.image.title="Veilig Praten" \
  --label nl.veiligpraten.read-only-rootfs=true \
  --label nl.veiligpraten.run="--read-only --tmpfs /tmp (writable: /tmp and the key volume only)" \
  --entrypoint '["/usr/bin/java","-XX:MaxRAMPercentage=75","-XX:+ExitOnOutOfMemoryError","-Djava.io.tmpdir=/tmp","-Dvertx.cacheDirBase=/tmp/vertx-cache","-jar","/opt/veilig-praten/veilig-praten.jar"]' \
  --cmd '["--no-demo"]' \
  "$ctr"
buildah commit --quiet --rm "$ctr" veilig-praten:0.1.0 >/dev/null
mkdir -p "$(dirname "$OUT")"
rm -f "$OUT"
buildah push --quiet veilig-praten:0.1.0 "oci-archive:$OUT:veilig-praten:0.1.0"
echo "image veilig-praten:0.1.0 in local storage ($STORAGE_DRIVER); OCI archive $OUT ($(du -h "$OUT" | cut -f1))"
fi

# Inspection: configuration and contents.
user="$(buildah inspect --type image --format '{{.OCIv1.Config.User}}' veilig-praten:0.1.0)"
ro="$(buildah inspect --type image --format '{{index .OCIv1.Config.Labels "nl.veiligpraten.read-only-rootfs"}}' veilig-praten:0.1.0)"
echo "config: user $user; entrypoint $(buildah inspect --type image --format '{{.OCIv1.Config.Entrypoint}} {{.OCIv1.Config.Cmd}}' veilig-praten:0.1.0); volumes $(buildah inspect --type image --format '{{.OCIv1.Config.Volumes}}' veilig-praten:0.1.0); read-only-rootfs label: $ro"
[[ "$user" == "10001:10001" ]] || { echo "FAIL: image user is not 10001" >&2; exit 1; }
[[ "$ro" == "true" ]] || { echo "FAIL: read-only label missing" >&2; exit 1; }
ctr="$(buildah from veilig-praten:0.1.0)"
mnt="$(buildah mount "$ctr")"
# Executables named like a JDK tool, compiler or Maven anywhere on the file system, and installed packages that are
# JDKs, compilers or build tools (libgcc's base package is a runtime library, not a compiler).
found="$(find "$mnt" -xdev -type f -perm -u+x \( -name javac -o -name jshell -o -name jlink -o -name jar -o -name 'gcc*' \
  -o -name cc -o -name 'c++' -o -name 'g++*' -o -name mvn -o -name 'ld.gold' -o -name 'as' \) 2>/dev/null | sed "s|^$mnt||" || true)"
pkgs="$(chroot "$mnt" dpkg-query -W -f '${Package}\n' 2>/dev/null | grep -E '^(openjdk-[0-9]+-jdk|default-jdk|gcc(-[0-9]+)?$|g\+\+|cpp|binutils|maven|build-essential|make$)' || true)"
found="$found$pkgs"
java_ok="$([[ -x "$mnt/usr/bin/java" || -L "$mnt/usr/bin/java" ]] && echo yes || echo no)"
npkg="$(chroot "$mnt" dpkg-query -W 2>/dev/null | wc -l)"
buildah umount "$ctr" >/dev/null; buildah rm "$ctr" >/dev/null
if [[ -n "$found" ]]; then echo "FAIL: build tools in the image:"; echo "$found"; exit 1; fi
echo "contents: java runtime present: $java_ok; no javac, jshell, jlink, jar, gcc/cc/g++, as, ld.gold or mvn executable; no JDK, compiler, binutils or Maven package ($npkg packages)"
echo "verified: build, inspection (user 10001:10001, read-only label, no build tools)"
