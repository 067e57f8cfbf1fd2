namespace CnnTrain.Mnist;

/// <summary>The learning-rate schedules <c>--schedule</c> offers.</summary>
internal enum ScheduleKind
{
    Constant,
    Step,
    Cosine,
}
