using Nuggets.Core.Pipeline;

namespace Nuggets.Hub;

/// <summary>A <c>hf://</c> path made into files of the local cache.</summary>
/// <param name="Manifest">What the manifest records: the path, the revision asked, the commit, the files.</param>
/// <param name="LocalPaths">
/// The files to read, in order: a dataset's every file; a model's first part only (llama.cpp finds the other parts of
/// a split model beside it).
/// </param>
/// <param name="Downloaded">How many files this resolution downloaded (0 when the cache had them all).</param>
public sealed record ResolvedHubInput(ManifestHubInput Manifest, IReadOnlyList<string> LocalPaths, int Downloaded);
