using System.Text;
using Recs.Core.Catalog;

namespace Recs.Core.Clustering;

/// <summary>A catalog track as the lookup needs it: id, artist + title keys and true features.</summary>
/// <param name="Id">Spotify track id.</param>
/// <param name="PrimaryArtistKey">Normalised main artist (<see cref="TextKeys.Normalize"/>).</param>
/// <param name="TitleKey">Normalised title (<see cref="TextKeys.Title"/>).</param>
/// <param name="Features">True audio features.</param>
public readonly record struct CatalogLookupEntry(string Id, string PrimaryArtistKey, string TitleKey, AudioFeatures Features)
{
    /// <summary>The entry of a catalog track (keys computed from its names when the import left them empty).</summary>
    public static CatalogLookupEntry From(CatalogTrack track)
    {
        var artist = track.PrimaryArtistKey;
        if (artist.Length == 0)
        {
            var semi = track.Artists.IndexOf(';');
            artist = TextKeys.Normalize(semi >= 0 ? track.Artists[..semi] : track.Artists);
        }

        var title = track.TitleKey.Length > 0 ? track.TitleKey : TextKeys.Title(track.Name);
        return new CatalogLookupEntry(track.Id, artist, title, track.Features);
    }
}

/// <summary>
/// Every catalog track of a model version → its cluster, true features and scaled vector, found by Spotify id or by
/// normalised primary artist + title. Built when the model is trained (so it always agrees with the model's
/// centroids) and persisted beside it (<c>catalog_lookup.bin</c>). Immutable and thread-safe.
/// </summary>
/// <remarks>
/// File format (little-endian, <see cref="BinaryWriter"/> conventions): magic "RCLK", int32 format version (1),
/// int32 feature count (5), int32 track count n; then n records of: id (length-prefixed UTF-8), primary artist key,
/// title key, int16 cluster, 5 × float64 native features (tempo 0 kept as 0 = unknown), 5 × float32 scaled
/// features (unknown tempo scaled to 0, the mean).
/// </remarks>
public sealed class CatalogClusterLookup
{
    private const int FormatVersion = 1;
    private static readonly byte[] Magic = "RCLK"u8.ToArray();

    private readonly string[] _ids;
    private readonly short[] _clusters;
    private readonly double[] _native; // n × 5
    private readonly float[] _scaled; // n × 5
    private readonly Dictionary<string, int> _byId;
    private readonly Dictionary<(string Artist, string Title), int> _byArtistTitle;

    private CatalogClusterLookup(string[] ids, string[] artistKeys, string[] titleKeys, short[] clusters, double[] native, float[] scaled)
    {
        _ids = ids;
        _clusters = clusters;
        _native = native;
        _scaled = scaled;
        _byId = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        _byArtistTitle = new Dictionary<(string, string), int>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            _byId.TryAdd(ids[i], i);
            if (artistKeys[i].Length > 0 && titleKeys[i].Length > 0)
            {
                // Several releases of one recording share artist + title; the first (entries are sorted by id) wins.
                _byArtistTitle.TryAdd((artistKeys[i], titleKeys[i]), i);
            }
        }
    }

    /// <summary>Number of catalog tracks.</summary>
    public int Count => _ids.Length;

    /// <summary>Number of distinct primary artist + title keys.</summary>
    public int ArtistTitleCount => _byArtistTitle.Count;

    /// <summary>Track ids by index.</summary>
    public IReadOnlyList<string> Ids => _ids;

    /// <summary>All scaled vectors, row-major (index × <see cref="AudioFeatures.Count"/>): for nearest-neighbour scans.</summary>
    public ReadOnlySpan<float> ScaledVectors => _scaled;

    /// <summary>Builds the lookup by assigning every entry with <paramref name="model"/>. Duplicate ids keep the first.</summary>
    public static CatalogClusterLookup Build(ClusterModel model, IEnumerable<CatalogLookupEntry> entries)
    {
        var list = entries
            .DistinctBy(e => e.Id, StringComparer.Ordinal)
            .OrderBy(e => e.Id, StringComparer.Ordinal)
            .ToArray();
        var n = list.Length;
        var ids = new string[n];
        var artists = new string[n];
        var titles = new string[n];
        var clusters = new short[n];
        var native = new double[n * AudioFeatures.Count];
        var scaled = new float[n * AudioFeatures.Count];
        Span<double> buffer = stackalloc double[AudioFeatures.Count];
        for (var i = 0; i < n; i++)
        {
            var e = list[i];
            ids[i] = e.Id;
            artists[i] = e.PrimaryArtistKey;
            titles[i] = e.TitleKey;
            model.Scaler.Scale(e.Features, buffer);
            clusters[i] = (short)model.AssignScaled(buffer);
            for (var f = 0; f < AudioFeatures.Count; f++)
            {
                native[i * AudioFeatures.Count + f] = e.Features[f];
                scaled[i * AudioFeatures.Count + f] = (float)buffer[f];
            }
        }

        return new CatalogClusterLookup(ids, artists, titles, clusters, native, scaled);
    }

    /// <summary>Finds a catalog track by Spotify id: its cluster and true features.</summary>
    public bool TryGet(string id, out int cluster, out AudioFeatures features)
    {
        if (TryGetIndex(id, out var index))
        {
            cluster = _clusters[index];
            features = Features(index);
            return true;
        }

        cluster = -1;
        features = default;
        return false;
    }

    /// <summary>Finds a catalog track by normalised primary artist and title keys (see <see cref="TextKeys"/>).</summary>
    public bool TryGetByArtistTitle(string primaryArtistKey, string titleKey, out int index)
    {
        if (primaryArtistKey.Length == 0 || titleKey.Length == 0)
        {
            index = -1;
            return false;
        }

        return _byArtistTitle.TryGetValue((primaryArtistKey, titleKey), out index);
    }

    /// <summary>The index of a track id, for <see cref="Cluster"/>, <see cref="Features"/> and <see cref="Scaled"/>.</summary>
    public bool TryGetIndex(string id, out int index) => _byId.TryGetValue(id, out index);

    /// <summary>Cluster of the track at <paramref name="index"/>.</summary>
    public int Cluster(int index) => _clusters[index];

    /// <summary>True features (native units; tempo 0 = not detected) of the track at <paramref name="index"/>.</summary>
    public AudioFeatures Features(int index) => AudioFeatures.FromSpan(_native.AsSpan(index * AudioFeatures.Count, AudioFeatures.Count));

    /// <summary>Scaled vector of the track at <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Scaled(int index) => _scaled.AsSpan(index * AudioFeatures.Count, AudioFeatures.Count);

    /// <summary>Writes the lookup to <paramref name="path"/> (temp file, then moved into place; <c>ModelArtifacts</c> names the file).</summary>
    public void Save(string path)
    {
        var artistByIndex = new string[_ids.Length];
        var titleByIndex = new string[_ids.Length];
        Array.Fill(artistByIndex, "");
        Array.Fill(titleByIndex, "");
        foreach (var ((artist, title), index) in _byArtistTitle)
        {
            artistByIndex[index] = artist;
            titleByIndex[index] = title;
        }

        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write(AudioFeatures.Count);
            w.Write(_ids.Length);
            for (var i = 0; i < _ids.Length; i++)
            {
                w.Write(_ids[i]);
                w.Write(artistByIndex[i]);
                w.Write(titleByIndex[i]);
                w.Write(_clusters[i]);
                for (var f = 0; f < AudioFeatures.Count; f++)
                {
                    w.Write(_native[i * AudioFeatures.Count + f]);
                }

                for (var f = 0; f < AudioFeatures.Count; f++)
                {
                    w.Write(_scaled[i * AudioFeatures.Count + f]);
                }
            }
        });
    }

    /// <summary>Reads a lookup written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is missing, truncated or of another format.</exception>
    public static CatalogClusterLookup Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path}: catalog lookup file not found");
        }

        try
        {
            using var stream = new BufferedStream(File.OpenRead(path), 1 << 16);
            using var r = new BinaryReader(stream, Encoding.UTF8);
            if (!r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || r.ReadInt32() != FormatVersion || r.ReadInt32() != AudioFeatures.Count)
            {
                throw new InvalidDataException($"{path}: not a catalog lookup file of format version {FormatVersion}");
            }

            var n = r.ReadInt32();
            if (n < 0)
            {
                throw new InvalidDataException($"{path}: negative track count");
            }

            var ids = new string[n];
            var artists = new string[n];
            var titles = new string[n];
            var clusters = new short[n];
            var native = new double[n * AudioFeatures.Count];
            var scaled = new float[n * AudioFeatures.Count];
            for (var i = 0; i < n; i++)
            {
                ids[i] = r.ReadString();
                artists[i] = r.ReadString();
                titles[i] = r.ReadString();
                clusters[i] = r.ReadInt16();
                for (var f = 0; f < AudioFeatures.Count; f++)
                {
                    native[i * AudioFeatures.Count + f] = r.ReadDouble();
                }

                for (var f = 0; f < AudioFeatures.Count; f++)
                {
                    scaled[i * AudioFeatures.Count + f] = r.ReadSingle();
                }
            }

            return new CatalogClusterLookup(ids, artists, titles, clusters, native, scaled);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException($"{path}: truncated catalog lookup file", ex);
        }
    }
}
