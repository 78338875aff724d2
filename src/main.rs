fn main() -> std::process::ExitCode {
    yujing::cli::main()
}
