import Foundation
import SDTestSupport
import Testing

/// The built binary on each built-in data set and on CSV files.
@Suite struct RunCommandTests {
    @Test func issueExampleHasTheStableJSONKeys() throws {
        let result = try sdtrack("run", "--data", "toy", "--kernel", "rbf", "--gamma", "80", "--eps", "0.05", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let json = try result.jsonObject()
        for key in ["format", "config", "rounds", "collapse_round", "bounds", "checks", "best_round", "spectrum"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["format"] as? String == "sdtrack.run/2")
        let rounds = try #require(json["rounds"] as? [[String: Any]])
        #expect(rounds.count == 3)
        for key in ["t", "c", "r", "train_mse", "test_mse", "truth_mse", "df", "gcv", "rkhs_norm"] {
            #expect(rounds[0].keys.contains(key), "round missing \(key)")
        }
        #expect(rounds[0]["test_mse"] is NSNull)
        #expect(abs((rounds[0]["truth_mse"] as? Double ?? 0) - 0.14963) < 1e-5)
        #expect(json["collapse_round"] as? Int == 3)
        let spectrum = try #require(json["spectrum"] as? [String: Any])
        #expect((spectrum["eigenvalues"] as? [Double])?.count == 11 && (spectrum["z0"] as? [Double])?.count == 11)
        let config = try #require(json["config"] as? [String: Any])
        #expect(config["dataset"] as? String == "toy" && config["K"] as? Int == 11 && config["eps"] as? Double == 0.05)
        #expect((json["checks"] as? [String: Any])?["all_held"] as? Bool == true)
        #expect((json["bounds"] as? [String: Any])?["held"] as? Bool == true)
        #expect((json["best_round"] as? [String: Any])?["truth_mse"] as? Int == 0)
    }

    @Test func jsonIsByteStableAcrossRunsButTheRunID() throws {
        let first = try sdtrack("run", "--json", "--no-record"), second = try sdtrack("run", "--json", "--no-record")
        #expect(first.status == 0 && first.stdout == second.stdout)
        #expect(try first.jsonObject()["run_id"] is NSNull)
        let recorded = try sdtrack("run", "--json")
        let id = try #require(try recorded.jsonObject()["run_id"] as? String)
        #expect(recorded.stdout.replacingOccurrences(of: "\"\(id)\"", with: "null") == first.stdout)
    }

    @Test func defaultRunPrintsTheToyTable() throws {
        let result = try sdtrack("run")
        #expect(result.status == 0)
        for fragment in [
            "data      toy: K = 11", "kernel    rbf", "train MSE", "truth MSE", "RKHS norm",
            "collapse  round", "bounds    ceil(r0 - 1)", "checks    all held", "best      round by truth MSE 1",
        ] {
            #expect(result.stdout.contains(fragment), "missing \(fragment)")
        }
    }

    @Test func sineWithAHeldOutSplit() throws {
        let result = try sdtrack(
            "run", "--data", "sine", "--n", "60", "--noise", "0.5", "--seed", "3",
            "--test-fraction", "0.25", "--kernel", "matern52", "--eps-rel", "0.05", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let json = try result.jsonObject()
        let config = try #require(json["config"] as? [String: Any])
        #expect(config["K"] as? Int == 45 && config["test_size"] as? Int == 15 && config["n"] as? Int == 60)
        let rounds = try #require(json["rounds"] as? [[String: Any]])
        #expect(rounds.allSatisfy { $0["test_mse"] is Double && $0["truth_mse"] is Double })
        #expect((json["best_round"] as? [String: Any])?["test_mse"] is Int)
    }

    @Test func diabetesStandardizedWithEachKernel() throws {
        for kernel in [
            ["rbf"], ["laplacian"], ["matern32"], ["polynomial", "--degree", "2"], ["ntk", "--depth", "3"],
        ] {
            let result = try sdtrack(
                [
                    "run", "--data", "diabetes", "--standardize", "--test-fraction", "0.2", "--eps-rel", "0.1",
                    "--json", "--kernel",
                ] + kernel)
            #expect(result.status == 0, "\(kernel): \(result.stderr)")
            let json = try result.jsonObject()
            #expect((json["config"] as? [String: Any])?["K"] as? Int == 354)
            #expect((json["checks"] as? [String: Any])?["all_held"] as? Bool == true, "\(kernel)")
        }
    }

    @Test func fixedCRunsTheRequestedRounds() throws {
        let result = try sdtrack("run", "--gamma", "80", "--fixed-c", "0.01818181818181818", "--rounds", "6", "--json")
        let json = try result.jsonObject()
        let rounds = try #require(json["rounds"] as? [[String: Any]])
        #expect(rounds.count == 6 && json["collapse_round"] is NSNull && json["bounds"] is NSNull)
        #expect(rounds.allSatisfy { $0["r"] is NSNull })
        #expect(abs((rounds[2]["truth_mse"] as? Double ?? 0) - 0.14915) < 1e-5)
    }

    @Test func csvFileWithTargetFeaturesAndTestFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var train = "id,x1,x2,label\n", test = "id,x1,x2,label\n"
        for i in 0..<30 {
            let x1 = Double(i) / 30, x2 = Double((i * 7) % 30) / 30
            train += "\(i),\(x1),\(x2),\(sin(6 * x1) + x2)\n"
            if i % 3 == 0 { test += "\(100 + i),\(x1 + 0.01),\(x2),\(sin(6 * x1 + 0.06) + x2)\n" }
        }
        let trainPath = try write(train, to: "train.csv", in: folder)
        let testPath = try write(test, to: "test.csv", in: folder)
        let result = try sdtrack(
            "run", "--data", trainPath, "--target", "label", "--features", "x1, x2",
            "--test", testPath, "--eps-rel", "0.02", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let config = try #require(try result.jsonObject()["config"] as? [String: Any])
        #expect(config["features"] as? [String] == ["x1", "x2"] && config["target"] as? String == "label")
        #expect(config["K"] as? Int == 30 && config["test_size"] as? Int == 10)
    }
}
