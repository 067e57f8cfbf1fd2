using System.IO.Enumeration;

namespace CnnTrain.Persistence;

/// <summary>
/// Replaces a file all at once: the bytes go to a temporary file beside it (<c>.{name}.{guid}.tmp</c>), are
/// flushed to disk, and the temporary file is renamed over the target. A failure midway leaves the old file as
/// it was. A process killed midway leaves its temporary file behind; the next write of the same target
/// removes it.
/// </summary>
internal static class AtomicFile
{
    private const string TemporarySuffix = ".tmp";

    // A Guid in the "N" format: 32 lowercase hexadecimal digits.
    private const int GuidDigits = 32;

    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The folder of {path} does not exist: {folder}");
        }

        string name = Path.GetFileName(full);
        RemoveStaleTemporaries(folder, name);
        string temporary = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}{TemporarySuffix}");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            Replace(temporary, full, path);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Whether <paramref name="fileName"/> is a temporary file that a write of <paramref name="target"/> makes.</summary>
    internal static bool IsTemporaryOf(ReadOnlySpan<char> fileName, string target)
    {
        if (fileName.Length != 1 + target.Length + 1 + GuidDigits + TemporarySuffix.Length
            || fileName[0] != '.'
            || !fileName.Slice(1, target.Length).SequenceEqual(target)
            || fileName[1 + target.Length] != '.'
            || !fileName.EndsWith(TemporarySuffix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (char c in fileName.Slice(2 + target.Length, GuidDigits))
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }

    private static void Replace(string temporary, string full, string path)
    {
        try
        {
            File.Move(temporary, full, overwrite: true);
        }
        catch (IOException e) when (!File.Exists(temporary))
        {
            throw new IOException(
                $"{path}: the temporary file {temporary} was removed before it could replace the target, most likely as stale by another process writing the same file; {path} was not changed by this write.",
                e);
        }
    }

    // Only names this class makes for this very target are removed, never anything else in the folder. A
    // temporary file that another process is writing to the same target right now matches too and may be
    // removed: that writer's rename then fails with the IOException above and the target keeps the other
    // write, which is acceptable for writers that race for one file anyway. Cleaning is best effort: a
    // file that cannot be removed (still open on Windows, or removed first by someone else) is left for the
    // next write, and the write itself goes ahead.
    private static void RemoveStaleTemporaries(string folder, string name)
    {
        List<string> stale;
        try
        {
            var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = false };
            stale = [.. new FileSystemEnumerable<string>(folder, (ref FileSystemEntry entry) => entry.ToFullPath(), options)
            {
                ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory && IsTemporaryOf(entry.FileName, name),
            }];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (string file in stale)
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for the next write, as explained above.
            }
        }
    }
}
