#!/bin/sh
# Put pmload in the desktop's launcher for the current user, or take it out again.
#
#   install-desktop.sh [--exec PATH/TO/pmload-gui]    install
#   install-desktop.sh --uninstall                     remove what install put there
#
# Installs under ${XDG_DATA_HOME:-~/.local/share}: applications/ID.desktop (its Exec
# pointing at pmload-gui), metainfo/ID.metainfo.xml and icons/hicolor/*/apps/ID.*,
# where ID is the application id io.github.pmload.Pmload. Nothing else is touched,
# and your data is never involved.
#
# It runs from a clone (packaging/ beside resources/icons) or from an unpacked bundle
# (this script beside pmload-gui, the files in share/). Without --exec it uses the
# pmload-gui beside it, else the one on PATH.
set -eu

APP_ID=io.github.pmload.Pmload
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
share="${XDG_DATA_HOME:-$HOME/.local/share}"
exec_path=""
mode=install

while [ $# -gt 0 ]; do
  case "$1" in
    --exec) [ $# -ge 2 ] || { echo "install-desktop: --exec needs a path." >&2; exit 2; }
            exec_path=$2; shift 2 ;;
    --uninstall) mode=uninstall; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-desktop: unknown option $1 (see --help)." >&2; exit 2 ;;
  esac
done

refresh() {
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$share/applications" 2>/dev/null || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t "$share/icons/hicolor" 2>/dev/null || true
  fi
}

if [ "$mode" = uninstall ]; then
  rm -f "$share/applications/$APP_ID.desktop" "$share/metainfo/$APP_ID.metainfo.xml"
  for icon in "$share"/icons/hicolor/*/apps/"$APP_ID".png "$share"/icons/hicolor/*/apps/"$APP_ID".svg; do
    [ -e "$icon" ] && rm -f "$icon"
  done
  refresh
  echo "pmload's launcher entry and icons were removed from $share (your data was not touched)."
  exit 0
fi

if [ -d "$here/share" ]; then            # an unpacked bundle
  files="$here/share"; icons="$here/share/icons/hicolor"
else                                      # a clone: packaging/ and resources/icons/
  files="$here"; icons="$here/../resources/icons/hicolor"
fi
for f in "$files/$APP_ID.desktop" "$files/$APP_ID.metainfo.xml" "$icons/scalable/apps/$APP_ID.svg"; do
  [ -f "$f" ] || { echo "install-desktop: $f is missing." >&2; exit 1; }
done

if [ -z "$exec_path" ]; then
  if [ -x "$here/pmload-gui" ]; then exec_path="$here/pmload-gui"
  else exec_path=$(command -v pmload-gui || true); fi
fi
[ -n "$exec_path" ] && [ -x "$exec_path" ] || {
  echo "install-desktop: cannot find pmload-gui; name it with --exec PATH." >&2; exit 1; }
case "$exec_path" in /*) ;; *) exec_path="$(pwd)/$exec_path" ;; esac

# The Desktop Entry spec quotes an Exec argument holding spaces or reserved characters.
case "$exec_path" in
  *[[:space:]\"\`\$\\\'\>\<\~\|\&\;\*\?\#\(\)]*)
    # inside quotes \ " ` $ take a backslash, and every backslash is doubled again
    quoted=$(printf '%s' "$exec_path" | sed -e 's/\\/\\\\\\\\/g' -e 's/["`$]/\\\\&/g')
    quoted="\"$quoted\"" ;;
  *) quoted=$exec_path ;;
esac

mkdir -p "$share/applications" "$share/metainfo"
tmp="$share/applications/.$APP_ID.desktop.tmp"
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    Exec=*) printf 'Exec=%s %%F\n' "$quoted" ;;
    TryExec=*) printf 'TryExec=%s\n' "$exec_path" ;;
    *) printf '%s\n' "$line" ;;
  esac
done < "$files/$APP_ID.desktop" > "$tmp"
mv "$tmp" "$share/applications/$APP_ID.desktop"
cp "$files/$APP_ID.metainfo.xml" "$share/metainfo/$APP_ID.metainfo.xml"
for dir in "$icons"/*/apps; do
  size=$(basename "$(dirname "$dir")")
  mkdir -p "$share/icons/hicolor/$size/apps"
  cp "$dir/$APP_ID".* "$share/icons/hicolor/$size/apps/"
done
refresh
echo "pmload is in your launcher ($share/applications/$APP_ID.desktop runs $exec_path)."
