namespace Nuggets.Hub;

/// <summary>The kind of a Hub repository: its URLs and its cache folder differ by kind.</summary>
public enum HubRepoType
{
    /// <summary>A model repository (<c>hf://owner/name</c>).</summary>
    Model,
    /// <summary>A dataset repository (<c>hf://datasets/owner/name</c>).</summary>
    Dataset,
}

/// <summary>A Hub repository: its kind and its id (<c>owner/name</c>).</summary>
/// <param name="Type">Model or dataset.</param>
/// <param name="Id"><c>owner/name</c>.</param>
public sealed record HubRepo(HubRepoType Type, string Id)
{
    /// <summary>The plural the Hub's API uses in its paths: <c>models</c> or <c>datasets</c>.</summary>
    public string Kind => Type == HubRepoType.Model ? "models" : "datasets";

    /// <summary>What messages and the manifest call it: <c>models/owner/name</c>, <c>datasets/owner/name</c>.</summary>
    public string Display => $"{Kind}/{Id}";

    /// <summary>
    /// The folder huggingface_hub keeps it in under the cache root (<c>models--owner--name</c>), so files another tool
    /// downloaded are found here and the other way round.
    /// </summary>
    public string CacheFolder => $"{Kind}--{Id.Replace("/", "--", StringComparison.Ordinal)}";

    /// <summary>What stands between the endpoint and the id in file URLs: nothing for models, <c>datasets/</c> for datasets.</summary>
    public string ResolvePrefix => Type == HubRepoType.Model ? "" : "datasets/";
}
