namespace Nuggets.Hub;

/// <summary>How far a file's download is.</summary>
/// <param name="File">What is downloaded, e.g. <c>models/owner/name/model-Q4_K_M.gguf</c>.</param>
/// <param name="Bytes">Bytes in the cache so far (a resumed download starts at what an earlier one left).</param>
/// <param name="Total">The file's size.</param>
/// <param name="Finished">The file is verified and in place.</param>
public sealed record DownloadProgress(string File, long Bytes, long Total, bool Finished = false);
