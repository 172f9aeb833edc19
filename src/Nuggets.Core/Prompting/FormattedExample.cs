namespace Nuggets.Core.Prompting;

/// <summary>An example as text: the prompt (everything before the response) and the response.</summary>
public sealed record FormattedExample(string Prompt, string Response)
{
    /// <summary>prompt + response, the text a candidate is tokenized from.</summary>
    public string FullText => Prompt + Response;
}
