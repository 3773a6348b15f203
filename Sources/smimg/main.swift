print("smimg")
