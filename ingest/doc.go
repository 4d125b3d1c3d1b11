// Package ingest moves data into a kg.Store: importers of CSV (UTF-8,
// GBK / GB18030, UTF-16), Excel workbooks, JSON and JSON Lines files, and
// templates for them. Package export writes the files they read.
//
// # Files
//
// A file (or a sheet of a workbook) is a table of records whose columns
// are the property names of the GraphQL schema: id, name, nameEn,
// aliases, district, source, creditCode, … A node table holds one kind,
// named by Options.Kind, by a kind column, or by the sheet's or the
// file's name ("Enterprise.csv", a sheet "企业"). A relationship table has
// from and to columns (ids of nodes), a type column or a type named the
// same ways ("SUPPLIES", "供应"), an optional id (else the default
// kg.EdgeID) and property columns. A JSON Lines or JSON file may mix both:
// a record with from and to is a relationship.
//
// Cell values: empty cells are not given (an import never removes a
// stored property); lists (aliases, categories) are separated by ";" or
// are a JSON array; booleans are true/false, 1/0, 是/否; enums are
// case-insensitive and levels may be Chinese (市级); numbers may carry
// thousands separators. A yearly figure is one column per year, named
// "revenue.2023" (what templates use), or one column holding a JSON
// object of years ({"2023": 12000000}) (what CSV exports use).
//
// # Damage
//
// Nothing is repaired. A cell, line or record that is not valid text
// (kg.CheckJSONText, kg.CheckUTF8) is a problem, as it is in a mutation.
// A workbook is checked part by part before its rows are read (excelize
// reads past damage without an error): a sheet cut short, XML that is not
// well-formed, rows or cells out of order, a shared string that does not
// exist, or a workbook that does not open is a problem naming the file,
// the sheet, the row and the byte, and the import writes nothing.
package ingest
