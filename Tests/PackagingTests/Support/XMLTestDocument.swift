import CLibXML2
import TestSupport
import Foundation

/// A parsed XML document for tests: schema validation and XPath queries,
/// both through libxml2.
final class XMLTestDocument {
    private let document: xmlDocPtr

    init(_ data: Data) throws {
        let parsed = data.withUnsafeBytes { bytes in
            xmlReadMemory(bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count), "component.xml", nil, 0)
        }
        guard let parsed else { throw TestSupportError("component.xml is not well-formed XML") }
        document = parsed
    }

    deinit {
        xmlFreeDoc(document)
    }

    static let namespaces = [
        "spirit": "http://www.spiritconsortium.org/XMLSchema/SPIRIT/1685-2009",
        "xilinx": "http://www.xilinx.com",
    ]

    /// The string values of the nodes `expression` selects, in document order.
    func strings(_ expression: String) -> [String] {
        let context = xmlXPathNewContext(document)!
        defer { xmlXPathFreeContext(context) }
        for (prefix, uri) in Self.namespaces {
            xmlXPathRegisterNs(context, prefix, uri)
        }
        guard let result = xmlXPathEvalExpression(expression, context) else { return [] }
        defer { xmlXPathFreeObject(result) }
        guard let nodes = result.pointee.nodesetval else { return [] }
        return (0..<Int(nodes.pointee.nodeNr)).map { index in
            let content = xmlNodeGetContent(nodes.pointee.nodeTab[index])
            defer { lutbuild_xml_free(content) }
            return content.map { String(cString: $0) } ?? ""
        }
    }

    /// The single value `expression` selects, or nil if it selects zero or several nodes.
    func string(_ expression: String) -> String? {
        let values = strings(expression)
        return values.count == 1 ? values[0] : nil
    }

    /// Schema errors against `schema` (empty when valid).
    func validationErrors(against schema: XMLSchema) -> [String] {
        schema.validate(document)
    }
}

/// A compiled XML schema; compiling the IP-XACT schema once serves every test.
final class XMLSchema: @unchecked Sendable {
    private let schema: xmlSchemaPtr
    private let lock = NSLock()

    init(path: String) throws {
        guard let parser = xmlSchemaNewParserCtxt(path) else { throw TestSupportError("cannot open schema \(path)") }
        defer { xmlSchemaFreeParserCtxt(parser) }
        guard let parsed = xmlSchemaParse(parser) else { throw TestSupportError("cannot parse schema \(path)") }
        schema = parsed
    }

    /// The IEEE 1685-2009 schema from ../shared beside the project root.
    static let ipxact: Result<XMLSchema, Error> = Result {
        try XMLSchema(path: SharedData.require("schemas/ipxact-1685-2009/index.xsd").path)
    }

    fileprivate func validate(_ document: xmlDocPtr) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        let context = xmlSchemaNewValidCtxt(schema)!
        defer { xmlSchemaFreeValidCtxt(context) }
        let collector = ErrorCollector()
        xmlSchemaSetValidStructuredErrors(
            context,
            { userData, error in
                guard let userData, let error else { return }
                let collector = Unmanaged<ErrorCollector>.fromOpaque(userData).takeUnretainedValue()
                let message = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
                collector.messages.append("line \(error.pointee.line): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
            }, Unmanaged.passUnretained(collector).toOpaque())
        let status = xmlSchemaValidateDoc(context, document)
        if status != 0, collector.messages.isEmpty { collector.messages.append("validation failed with status \(status)") }
        return collector.messages
    }

    private final class ErrorCollector {
        var messages: [String] = []
    }
}

struct TestSupportError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
