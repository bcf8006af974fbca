using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recs.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ArtistTableFeatures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "TableDanceability",
                table: "Artists",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "TableEnergy",
                table: "Artists",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "TableLoudness",
                table: "Artists",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "TablePopularity",
                table: "Artists",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "TableTempo",
                table: "Artists",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "TableTrackCount",
                table: "Artists",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "TableValence",
                table: "Artists",
                type: "REAL",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "TableDanceability",
                table: "Artists");

            migrationBuilder.DropColumn(
                name: "TableEnergy",
                table: "Artists");

            migrationBuilder.DropColumn(
                name: "TableLoudness",
                table: "Artists");

            migrationBuilder.DropColumn(
                name: "TablePopularity",
                table: "Artists");

            migrationBuilder.DropColumn(
                name: "TableTempo",
                table: "Artists");

            migrationBuilder.DropColumn(
                name: "TableTrackCount",
                table: "Artists");

            migrationBuilder.DropColumn(
                name: "TableValence",
                table: "Artists");
        }
    }
}
