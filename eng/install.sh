#!/usr/bin/env bash
# Restores the pinned native runtime, builds the solution, packs the `dotnet nuggets` tool and the Nuggets.Build
# MSBuild package into the local feed artifacts/packages (samples/nuget.config points there, so the sample data
# repository builds in place), and installs the tool globally from that feed. Safe to run again: it replaces the
# installed tool and the package.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash eng/restore-native.sh "$@"
dotnet build Nuggets.Pipeline.sln -c Release --nologo -v:q
dotnet pack src/Nuggets.Cli/Nuggets.Cli.csproj -c Release --no-build --nologo -v:q -o artifacts/packages
dotnet pack src/Nuggets.Build.Tasks/Nuggets.Build.Tasks.csproj -c Release --no-build --nologo -v:q -o artifacts/packages

version="$(sed -n 's:.*<NuggetsVersionPrefix>\(.*\)</NuggetsVersionPrefix>.*:\1:p' eng/Versions.props)"
# NuGet keeps one copy per id+version in its global folder; a rebuilt package of the same version would
# otherwise be ignored in favour of that stale copy.
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/nuggets.cli/$version" "${NUGET_PACKAGES:-$HOME/.nuget/packages}/nuggets.build/$version"
dotnet tool uninstall --global Nuggets.Cli >/dev/null 2>&1 || true
dotnet tool install --global --add-source artifacts/packages Nuggets.Cli --version "$version"

case ":$PATH:" in
  *":$HOME/.dotnet/tools:"*) ;;
  *) echo "note: add \$HOME/.dotnet/tools to PATH so 'dotnet nuggets' is found: export PATH=\"\$PATH:\$HOME/.dotnet/tools\"" ;;
esac
