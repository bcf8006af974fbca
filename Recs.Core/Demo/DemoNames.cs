using Recs.Core.Catalog;

namespace Recs.Core.Demo;

/// <summary>Made-up artist names, titles and albums for the demo world (unique artist names, deterministic).</summary>
internal sealed class DemoNames(Random random, IEnumerable<string>? takenArtistKeys = null)
{
    private static readonly string[] Adjectives =
    [
        "Silver", "Velvet", "Electric", "Golden", "Midnight", "Crimson", "Hollow", "Wild", "Quiet", "Neon", "Paper", "Broken",
        "Distant", "Burning", "Frozen", "Lucky", "Restless", "Secret", "Blue", "Northern", "Sleepy", "Cosmic", "Little", "Lonely",
        "Bright", "Wandering", "Salty", "Dusty", "Heavy", "Gentle", "Static", "Painted", "Rusty", "Tender", "Lost", "Glass",
    ];

    private static readonly string[] Nouns =
    [
        "Foxes", "Rivers", "Echoes", "Owls", "Harbours", "Satellites", "Lanterns", "Wolves", "Tides", "Orchards", "Pilots", "Comets",
        "Mirrors", "Gardens", "Sparrows", "Engines", "Shadows", "Parades", "Horizons", "Ghosts", "Bells", "Islands", "Kites", "Machines",
        "Canyons", "Daydreams", "Signals", "Thieves", "Waves", "Giants", "Letters", "Embers", "Meadows", "Tigers", "Clouds", "Stations",
    ];

    private static readonly string[] FirstNames =
    [
        "Ada", "Milo", "Nora", "Felix", "Lena", "Oscar", "Iris", "Jonah", "Maya", "Theo", "Zara", "Hugo", "Elsa", "Ravi", "Lucia",
        "Emeka", "Yuki", "Sofia", "Mateo", "Ines", "Kofi", "Aria", "Niko", "Vera", "Omar", "Cleo", "Leon", "Priya", "Ivan", "Ruby",
    ];

    private static readonly string[] LastNames =
    [
        "Hart", "Moreno", "Lind", "Okafor", "Sato", "Novak", "Reyes", "Quinn", "Berg", "Costa", "Adler", "Mensah", "Rossi", "Hale",
        "Park", "Silva", "Weber", "Dubois", "Kaur", "Ivanova", "Frost", "Lowe", "Marsh", "Nakamura", "Petrov", "Santos", "Wolfe",
    ];

    private static readonly string[] TitleWords =
    [
        "Summer", "Night", "Heart", "Fire", "Rain", "Stars", "Home", "Dance", "Road", "Light", "Dream", "Gold", "Ocean", "Sky",
        "Time", "Love", "City", "Morning", "River", "Shadow", "Storm", "Moon", "Ghost", "Paradise", "Echo", "Wire", "Highway",
        "Window", "Garden", "Signal", "Winter", "Fever", "Thunder", "Velvet", "Silence", "Sugar", "Static", "Horizon", "Satellite",
    ];

    private readonly HashSet<string> _artistKeys = new(takenArtistKeys ?? [], StringComparer.Ordinal);

    public string NewArtistName()
    {
        while (true)
        {
            var name = random.Next(3) switch
            {
                0 => $"The {Pick(Adjectives)} {Pick(Nouns)}",
                1 => $"{Pick(FirstNames)} {Pick(LastNames)}",
                _ => $"{Pick(Adjectives)} {Pick(Nouns)}",
            };
            // Past the easy combinations, add a number as real band names sometimes do.
            if (_artistKeys.Count > 2_000 && random.NextDouble() < 0.5)
            {
                name += " " + random.Next(2, 99);
            }

            if (_artistKeys.Add(TextKeys.Normalize(name)))
            {
                return name;
            }
        }
    }

    public string NewTitle() => random.Next(3) switch
    {
        0 => $"{Pick(TitleWords)} {Pick(TitleWords)}",
        1 => $"The {Pick(TitleWords)}",
        _ => $"{Pick(TitleWords)} of {Pick(TitleWords)}",
    };

    public string NewAlbum() => random.Next(2) == 0 ? $"{Pick(TitleWords)} {Pick(Nouns)}" : $"{Pick(Adjectives)} {Pick(TitleWords)}";

    private string Pick(string[] words) => words[random.Next(words.Length)];
}
