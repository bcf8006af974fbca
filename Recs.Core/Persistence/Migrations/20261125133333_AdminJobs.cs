using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recs.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AdminJobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "RatePerSecond",
                table: "Jobs",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Runs",
                table: "Jobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "UpdatedAt",
                table: "Jobs",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RatePerSecond",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Runs",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "Jobs");
        }
    }
}
