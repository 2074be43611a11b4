# snipcheck: question 165: What is generator expression?
# guide: guides/python-advanced.txt, line 56

# example at line 60
# List comprehension (creates full list)
squares_list = [x**2 for x in range(5)]

# Generator expression (lazy evaluation)
squares_gen = (x**2 for x in range(5))

print(next(squares_gen)) # 0
