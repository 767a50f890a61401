// The one CSV reader (CSV.parse and the CSVScanner the ledger uses, which carries on past
// errors) and the one writer. Property: fields written with CSV.line read back the same.
import FuzzSupport
import KitbagCore

Fuzz.run { bytes in
    if case .success(let records) = CSV.parse(bytes) {
        for record in records {
            let line = CSV.line(record.fields)
            guard case .success(let again) = CSV.parse(Array(line.utf8)) else {
                Fuzz.expect(false, "CSV.line(\(record.fields)) = \(line.debugDescription) does not parse")
                return
            }
            Fuzz.expect(again.count == 1 && again[0].fields == record.fields,
                        "\(record.fields) written as \(line.debugDescription) reads back as \(again.map(\.fields))")
        }
    }
    bytes.withUnsafeBufferPointer { buffer in
        _ = CSVScanner.usesCRLF(buffer)
        var scanner = CSVScanner(buffer)
        var records = 0
        scan: while true {
            switch scanner.next() {
            case .end: break scan
            case .error(_, let line, let column):
                Fuzz.expect(line >= 1 && column >= 1, "a syntax error at \(line):\(column)")
            case .torn, .record:
                for field in scanner.fields {
                    Fuzz.expect(scanner.column(of: field) >= 1 && field.start <= field.end, "a field at \(field)")
                    _ = scanner.string(field)
                }
            }
            records += 1
            Fuzz.expect(records <= buffer.count + 1, "the scanner does not move on")
        }
    }
}
