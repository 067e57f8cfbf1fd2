namespace CnnTrain.Mnist;

/// <summary>The process exit codes, as the usage text lists them.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    // Training diverged (a loss or parameter that is not finite); nothing diverged was saved.
    public const int Diverged = 3;

    // 128 + SIGINT, what shells report for a program stopped by Ctrl+C.
    public const int Cancelled = 130;
}
