import AsyncHTTPClient
import NIOCore

/// Reading small response bodies (manifests, errors, tokens) with a size limit.
enum ResponseBody {
    static func collect(_ response: HTTPClientResponse, limit: Int, operation: String, registry: String) async throws -> [UInt8] {
        var collected: [UInt8] = []
        do {
            for try await chunk in response.body {
                guard collected.count + chunk.readableBytes <= limit else {
                    throw RegistryError.tooLarge(operation: operation, registry: registry, limit: limit)
                }
                collected.append(contentsOf: chunk.readableBytesView)
            }
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError.cannotConnect(registry: registry, detail: "\(operation): connection lost while reading the response (\(TransportFailure.describe(error)))")
        }
        return collected
    }

    /// Reads and drops a body so the connection can be reused; errors are irrelevant here.
    static func discard(_ response: HTTPClientResponse) async {
        do {
            for try await _ in response.body {}
        } catch {}
    }
}
