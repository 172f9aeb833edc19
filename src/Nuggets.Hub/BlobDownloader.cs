using System.Net;
using Nuggets.Core;

namespace Nuggets.Hub;

/// <summary>
/// Brings one blob into the cache: downloaded into <c>blobs/{etag}.incomplete</c> (resumed with a range request from
/// what an earlier, interrupted download left there), checked against its size and hash, and renamed to
/// <c>blobs/{etag}</c> only then — no reader ever sees part of a file under its final name. A dropped connection is
/// resumed a bounded number of times; a hash mismatch or a full disk removes the partial file.
/// </summary>
internal sealed class BlobDownloader(HubApi api, HubCache cache, IProgress<DownloadProgress>? progress, Func<TimeSpan, CancellationToken, Task>? delay = null)
{
    private const int BufferSize = 1 << 20;

    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(200);
    private readonly Func<TimeSpan, CancellationToken, Task> wait = delay ?? Task.Delay;

    /// <summary>Makes <c>blobs/{file.BlobId}</c> hold <paramref name="file"/>; returns whether bytes were downloaded for it.</summary>
    public async Task<bool> EnsureAsync(HubRepo repo, string commit, RemoteFile file, CancellationToken cancel)
    {
        var blob = cache.Layout.Blob(repo, file.BlobId);
        if (Present(blob, file)) return false;
        using var held = await LockAsync(cache.Layout.Lock(repo, file.BlobId), cancel).ConfigureAwait(false);
        if (Present(blob, file)) return false; // another process finished it while this one waited
        await DownloadAsync(repo, commit, file, blob, cancel).ConfigureAwait(false);
        return true;
    }

    private static bool Present(string blob, RemoteFile file) => new FileInfo(blob) is { Exists: true } info && info.Length == file.Size;

    private async Task DownloadAsync(HubRepo repo, string commit, RemoteFile file, string blob, CancellationToken cancel)
    {
        var incomplete = blob + ".incomplete";
        var name = $"{repo.Display}/{file.Path}";
        var what = $"{file.Path} in {repo.Display}";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var done = await AttemptAsync(repo, commit, file, incomplete, name, what, cancel).ConfigureAwait(false);
                if (done) break;
            }
            catch (DroppedException dropped) when (attempt < HubHttp.MaxAttempts)
            {
                _ = dropped; // the connection broke mid-file: what arrived stays in .incomplete and the next try resumes from it
                await wait(HubHttp.Backoff(attempt), cancel).ConfigureAwait(false);
            }
            catch (DroppedException dropped)
            {
                throw new NuggetsException($"the download of {what} broke off {HubHttp.MaxAttempts} times ({dropped.InnerException?.Message}); " +
                    "rerun to resume it from what is in the cache.", ExitCodes.HubDownload, dropped);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // Network failures arrive as DroppedException; what is left is the disk (full, read-only). A partial file
                // there would only fill it again at the next try.
                TryDelete(incomplete);
                throw HubCache.CannotWrite(cache.Layout.Root, error);
            }
        }
        cache.Writing(() => File.Move(incomplete, blob, overwrite: true));
        progress?.Report(new DownloadProgress(name, file.Size, file.Size, Finished: true));
    }

    /// <summary>One request; true when the whole, verified file is in <paramref name="incomplete"/>.</summary>
    private async Task<bool> AttemptAsync(HubRepo repo, string commit, RemoteFile file, string incomplete, string name, string what, CancellationToken cancel)
    {
        FileStream output;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(incomplete)!);
            // Unbuffered: every write reaches the file at once, so a full disk fails the write that hit it, not a later dispose.
            output = new FileStream(incomplete, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw HubCache.CannotWrite(cache.Layout.Root, error);
        }
        await using (output)
        {
            // More than the file can be is a leftover of some other content: start over.
            if (output.Length > file.Size) output.SetLength(0);
            var offset = output.Length;
            using var response = await api.OpenAsync(repo, commit, file.Path, offset, cancel).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                // Either the file was complete already, or the partial file is not a prefix of it: the check below tells.
                if (offset != file.Size) { output.SetLength(0); throw new DroppedException(new IOException("the server refused the resume range")); }
            }
            else if (response.StatusCode != HttpStatusCode.PartialContent || response.Content.Headers.ContentRange?.From != offset)
            {
                offset = 0; // the server sent the whole file (it ignored the range): write it from the start
                output.SetLength(0);
            }

            using var check = ContentCheck.For(file);
            output.Position = 0;
            await HashPrefixAsync(output, offset, check, cancel).ConfigureAwait(false);
            output.Position = offset;
            if (response.StatusCode != HttpStatusCode.RequestedRangeNotSatisfiable)
                await CopyAsync(response, output, file, offset, check, name, incomplete, cancel).ConfigureAwait(false);

            if (output.Length != file.Size)
            {
                if (output.Length < file.Size) throw new DroppedException(new IOException($"the answer ended at byte {output.Length:N0} of {file.Size:N0}"));
                Discard(output, incomplete);
                throw new NuggetsException($"{what}: the Hub sent {output.Length:N0} bytes where its metadata says {file.Size:N0}; the download was discarded.", ExitCodes.HubDownload);
            }
            if (check?.Mismatch() is { } actual)
            {
                Discard(output, incomplete);
                throw new NuggetsException($"{what}: the downloaded file's {check.Name} is {actual}, but the Hub's metadata says {check.Expected}; " +
                    "the download was discarded and nothing was placed in the cache.", ExitCodes.HubDownload);
            }
            try
            {
                output.Flush(flushToDisk: true); // the rename below must never publish bytes still only in memory
            }
            catch (IOException error)
            {
                Discard(output, incomplete);
                throw HubCache.CannotWrite(cache.Layout.Root, error);
            }
            return true;
        }
    }

    private async Task CopyAsync(HttpResponseMessage response, FileStream output, RemoteFile file, long offset, ContentCheck? check, string name, string incomplete, CancellationToken cancel)
    {
        var buffer = new byte[BufferSize];
        Stream body;
        try
        {
            body = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or HttpRequestException)
        {
            throw new DroppedException(error);
        }
        await using (body)
        {
            var written = offset;
            progress?.Report(new DownloadProgress(name, written, file.Size));
            while (true)
            {
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, cancel).ConfigureAwait(false);
                }
                catch (Exception error) when (error is IOException or HttpRequestException)
                {
                    // A stop signal can surface as a broken read: it is a stop, not a connection to retry.
                    cancel.ThrowIfCancellationRequested();
                    await FlushQuietly(output).ConfigureAwait(false);
                    throw new DroppedException(error);
                }
                if (read == 0) break;
                if (written + read > file.Size)
                {
                    Discard(output, incomplete);
                    throw new NuggetsException($"{file.Path}: the Hub sent more than the {file.Size:N0} bytes its metadata gives; the download was discarded.", ExitCodes.HubDownload);
                }
                try
                {
                    await output.WriteAsync(buffer.AsMemory(0, read), cancel).ConfigureAwait(false);
                }
                catch (IOException error)
                {
                    // A full disk: keep no partial file that would fill it again at the next try.
                    Discard(output, incomplete);
                    throw HubCache.CannotWrite(cache.Layout.Root, error);
                }
                check?.Append(buffer.AsSpan(0, read));
                written += read;
                progress?.Report(new DownloadProgress(name, written, file.Size));
            }
        }
    }

    private static async Task HashPrefixAsync(FileStream output, long length, ContentCheck? check, CancellationToken cancel)
    {
        if (check is null || length == 0) return;
        var buffer = new byte[BufferSize];
        for (long done = 0; done < length;)
        {
            var read = await output.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - done)), cancel).ConfigureAwait(false);
            if (read == 0) break;
            check.Append(buffer.AsSpan(0, read));
            done += read;
        }
    }

    private static async Task FlushQuietly(FileStream output)
    {
        try { await output.FlushAsync().ConfigureAwait(false); }
        catch (IOException) { /* what cannot be flushed is re-downloaded by the resume */ }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException) { _ = error; /* nothing more can be done; the error says why */ }
    }

    private static void Discard(FileStream output, string incomplete)
    {
        try
        {
            output.SetLength(0);
        }
        catch (IOException)
        {
            // the file is deleted below either way
        }
        File.Delete(incomplete);
    }

    /// <summary>Waits for the lock file of a blob (another run downloading it), then holds it until disposed.</summary>
    private async Task<FileStream> LockAsync(string path, CancellationToken cancel)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw HubCache.CannotWrite(cache.Layout.Root, error);
        }
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive advisory lock on Unix: a second run waits here rather than writing the same .incomplete.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException error) when (IsLockHeld(error))
            {
                await wait(LockPoll, cancel).ConfigureAwait(false);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                throw HubCache.CannotWrite(cache.Layout.Root, error);
            }
        }
    }

    /// <summary>
    /// Whether opening a lock file failed because another process holds it: on Unix .NET takes the exclusive open as
    /// flock(LOCK_EX | LOCK_NB) and reports EWOULDBLOCK's errno (11 on Linux, 35 on macOS) as the HResult; Windows
    /// reports ERROR_SHARING_VIOLATION.
    /// </summary>
    internal static bool IsLockHeld(IOException error) => error.HResult is 11 or 35 or unchecked((int)0x80070020);

    /// <summary>The connection broke before the whole file came; what arrived is kept for the next try.</summary>
    private sealed class DroppedException(Exception inner) : Exception(inner.Message, inner);
}
