import CLibXML2
import Foundation

/// A thin, single-use wrapper over libxml2's tree API: the document is built
/// node by node and serialised by libxml2, which does all escaping, so no XML
/// text is ever assembled by string concatenation.
final class XMLTreeWriter {
    typealias Node = xmlNodePtr
    typealias Namespace = xmlNsPtr

    private let document: xmlDocPtr
    let root: Node
    private var namespaces: [String: Namespace] = [:]

    /// Creates `<prefix:rootName>` declaring `namespaces` (prefix → URI) on the root.
    init(root rootName: String, prefix: String, namespaces declared: KeyValuePairs<String, String>) {
        document = xmlNewDoc("1.0")
        root = xmlNewDocNode(document, nil, rootName, nil)
        xmlDocSetRootElement(document, root)
        for (declaredPrefix, uri) in declared {
            namespaces[declaredPrefix] = xmlNewNs(root, uri, declaredPrefix)
        }
        xmlSetNs(root, namespace(prefix))
    }

    deinit {
        xmlFreeDoc(document)
    }

    /// Appends `<prefix:name>text</prefix:name>` (text escaped by libxml2) and returns it.
    @discardableResult
    func element(
        _ parent: Node, _ qualifiedName: String, text: String? = nil, attributes: KeyValuePairs<String, String> = [:]
    ) -> Node {
        let (prefix, name) = split(qualifiedName)
        // libxml2 copies every string it is given; Swift passes each as a
        // temporary UTF-8 buffer valid for the duration of the call.
        let node: Node =
            if let text {
                xmlNewTextChild(parent, namespace(prefix), name, text)
            } else {
                xmlNewChild(parent, namespace(prefix), name, nil)
            }
        for (attributeName, value) in attributes {
            let (attributePrefix, localName) = split(attributeName)
            xmlNewNsProp(node, namespace(attributePrefix), localName, value)
        }
        return node
    }

    /// The document as indented UTF-8 with an XML declaration.
    func serialized() -> Data {
        var buffer: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        xmlDocDumpFormatMemoryEnc(document, &buffer, &size, "UTF-8", 1)
        guard let buffer else { return Data() }
        defer { lutbuild_xml_free(buffer) }
        return Data(bytes: buffer, count: Int(size))
    }

    private func namespace(_ prefix: String) -> Namespace {
        guard let ns = namespaces[prefix] else { preconditionFailure("undeclared XML namespace prefix \(prefix)") }
        return ns
    }

    private func split(_ qualifiedName: String) -> (prefix: String, name: String) {
        let parts = qualifiedName.split(separator: ":", maxSplits: 1)
        precondition(parts.count == 2, "XML names here are always prefixed: \(qualifiedName)")
        return (String(parts[0]), String(parts[1]))
    }
}
