/// The full tag (`2.9.0-gpu-py312-cu130-ubuntu22.04-sagemaker`) or the short alias that the
/// newer releases also publish (`2.9.0-gpu-py312`).
public enum TagForm: String, Codable, Sendable, CaseIterable {
    case full
    case short
}
